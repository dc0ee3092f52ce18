"""Evaluation scorers behind `akhbar eval …`: one module per stage."""
