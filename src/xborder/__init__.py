"""xborder: finds network links that cross the border of mainland China in infrastructure code."""

__version__ = "0.1.0"
