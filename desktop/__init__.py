"""Click Assist: find what a person names on screen and click it after they confirm.

Importing the package is cheap: models, Qt and OCR runtimes load only when used.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
