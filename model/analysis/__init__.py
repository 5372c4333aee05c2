"""Analyses of runs: outcomes and criteria, ensembles, validation, comparison, ablation,
sensitivity and calibration."""
