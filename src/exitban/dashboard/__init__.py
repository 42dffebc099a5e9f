"""The web dashboard (optional extra ``dashboard``: Panel): ``exitban dashboard`` serves it."""
