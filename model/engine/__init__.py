"""The engine: leaders, coalitions, institutions, the apparatus, the monthly step.

It knows no case: every name, office and date comes from the scenario it is given."""
