"""Benchmark at the scale of Bavaria: data generator, request figures, baselines, growth."""
