"""What several test modules share: builders, sample data and page drivers, one module per topic.
A test module imports from here, never from another test module (tests/test_test_layout.py)."""
