"""The national-scale benchmark: a synthetic input generator, the engine's floor query
and the harness behind `make bench`."""
