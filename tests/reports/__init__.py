"""Tests of the periodic reports (generator/reports, `sangkien report`)."""
