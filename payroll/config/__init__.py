"""Configuration: environment variables and the shipped asset folders."""
