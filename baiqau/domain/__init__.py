"""Pure domain rules of Baiqau: no Django. Scoring, ranking and money use the standard library
only; the reviewer assignment (`assignment`) uses NumPy, SciPy, scikit-learn and OR-Tools."""
