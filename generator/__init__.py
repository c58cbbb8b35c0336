"""chancery: meeting documents for intergovernmental secretariats, from one YAML file."""

__version__ = "0.1.0"
