"""Seed 002's sales analytics: RFM profiles and segments, product popularity, recommendations, background runs."""
