"""django-filter FilterSets, one module per list page."""
