"""Reading news text: private helpers of :mod:`afghangeo.extract`.

``lexicon`` holds the word lists; ``sentences``, ``dates`` and ``figures`` are pure text
parsers that know nothing of places; ``mentions`` finds the place names of a text and
``context`` relates them to each other. Every function is total on ``str`` input and
runs in time linear (or n log n) in the length of its input.
"""
