"""Analysis package for the BRICS AI report.

Data flows one way: raw snapshot -> loader/validator -> tidy extract -> aggregates ->
notebooks -> book. Notebooks import from here so that they stay short and tests can reach
every computation.
"""

__version__ = "0.2.0"
