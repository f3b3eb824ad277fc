"""Reading news text: private helpers of :mod:`afghangeo.extract`.

``lexicon`` holds the word lists (one table) and the regexes built from them;
``sentences``, ``dates`` and ``figures`` are pure text parsers that know nothing of
places; ``mentions`` finds the place names of a text (words, the phrase look-up, the
not-a-place rules, roles); ``context`` relates them to each other (cues, places near
others, homonyms) and asks the geocoder with the text's hints; ``incidents`` is the
record an incident is built in. Every function is total on ``str`` input and runs in
time linear (or n log n) in the length of its input.
"""
