"""Synthetic, labelled pre-certification sample cases and their generator."""
