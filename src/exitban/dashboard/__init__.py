"""The web dashboard (optional extra ``exitban[dashboard]``): ``exitban dashboard`` serves it."""
