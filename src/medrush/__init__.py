"""medrush: urgent medicine from 24-hour pharmacies, delivered in 30 minutes, with free consultation."""

__all__ = ["__version__"]
__version__ = "0.1.0"
