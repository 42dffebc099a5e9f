"""Calibration and validation against published figures (ODD section 9).

``targets`` reads the shipped targets file (published figures, their periods, sources and the
outputs they constrain); ``priors`` turns a scenario's assumption fields into a search box;
``smc`` is approximate Bayesian computation by sequential Monte Carlo; ``run`` drives it on the
sweep executors, resumably; ``record`` writes the posterior, the calibrated scenario and the
identifiability table; ``validate`` compares calibrated runs with the held-out figures.
"""
