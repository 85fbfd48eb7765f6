"""mittari: measure whether an IT service provider keeps its promises."""

__version__ = "0.1.0"
