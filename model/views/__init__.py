"""Views: output tables, figures and the browser app."""
