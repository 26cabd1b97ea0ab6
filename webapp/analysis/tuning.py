"""The engine's tuning numbers, in one place, each with the reason for its value."""

from __future__ import annotations

# A first paragraph of at most this many words, not ending in a full stop, is a headline.
HEADLINE_MAX_WORDS = 25

# '"Enough!" Jane Roe said.': a cue this many words after a quotation's ! or ? keeps the
# sentence going (a name of up to three words, then the verb).
CUE_AFTER_EXCLAMATION = 4

# A capitalised run longer than this is not one name ("Alpha Beta Gamma ..." for pages):
# the longest real titled names ("Deputy Minister of National Security Gabriela
# Ramírez-Holder") have 7 words; the cap keeps long runs linear.
MAX_NAME_RUN = 12

# "Senate Minority Whip Dick Durbin": a given name this many words or fewer from the end of
# a run starts the name; the capitals before it are a role.
MAX_NAME_AFTER_ROLE = 3

# Shortest agent noun ("baker", "fiddler"): shorter -er/-or words are mostly not people.
AGENT_NOUN_MIN_LETTERS = 5

# An all-capitals word this long is an acronym (NATO, ECOWAS), not a name (LEE, ODE).
ACRONYM_MIN_LETTERS = 4

# A quotation of this many words in a sentence about a person is their words, even with no
# speech verb ("worried that the safety net was becoming "a hammock ...""); fewer may be a
# scare quote.
PARTIAL_MIN_WORDS = 3

# "In the depths of the recession, Paul Ryan worried that ...": an opening phrase of up to
# this many words before its comma is stepped over to find who the sentence is about.
OPENING_PHRASE_WORDS = 8

# A quotation set off by a comma or colon with this many words is a whole statement.
DIRECT_MIN_WORDS = 6

# Words a nickname in quotation marks may have (Andrés "El Tanque" Ocampo).
MAX_NICKNAME_WORDS = 3

# Lower-case role words read before a name (the "Kremlin spokesman" in front of Peskov),
# and the whole role with capitalised qualifiers ("Harbor City coach").
ROLE_BEFORE_WORDS = 4
ROLE_BEFORE_WITH_QUALIFIERS = 8

# Words of a role in apposition after a name ("X, the company's chief executive, said").
APPOSITION_MAX_WORDS = 16

# Tokens looked back from a comma for a role before a name ("The shadow chancellor, X").
APPOSITION_BEFORE_TOKENS = 8

# Tokens after a one-word name that may hold the "its" that makes it an organisation.
ITS_LOOKAHEAD = 8

# Words between "the" and a role noun ("the deputy foreign minister").
ROLE_PHRASE_MODIFIERS = 3

# Words between a possessor and a role noun ("NATO's new civilian leader").
OWNER_ROLE_WORDS = 3

# The tokens of a quotation's sentence read before and after it, outside quotations:
# speaker and cue are always near the quotation, and the bound keeps a sentence of
# thousands of quotation marks linear.
WINDOW_TOKENS = 60

# Cues of a quotation's sentence read, nearest first: real sentences have one or two; a
# bound keeps a sentence of thousands of "said" linear.
MAX_CUES = 6

# Comma-delimited segments stepped over between a name and its cue, and the tokens one
# segment may have ("X, a spokesman for Y, who ..., said").
APPOSITION_SEGMENTS = 4
SEGMENT_MAX_TOKENS = 40

# Tokens of a parenthesis between a name and its cue ("Rep. John Roe (R-Fla.) said").
PARENTHESIS_WORDS = 8

# Words a common noun phrase may run back from its head to its determiner.
NOUN_PHRASE_WORDS = 5

# Words between a determiner and the head noun of a speaker phrase ("the club's chairwoman").
SPEAKER_HEAD_WORDS = 4

# Tokens between a noun phrase and the comma of a name in apposition to it.
APPOSITION_NAME_GAP = 3

# Words after "a"/"an" in which an unnamed source's noun must stand ("a senior official").
UNNAMED_SOURCE_WORDS = 4

# A he/she means an unnamed source ("a spokesman ... he said") introduced in this or the
# previous sentence, when no named candidate was mentioned after it.
UNNAMED_SOURCE_SENTENCES = 1

# People mentions looked back through for a pronoun's candidate: far more than any
# article's distance between a pronoun and its person, and a bound on crafted text.
PRONOUN_LOOKBACK_MENTIONS = 400

# Mentions of one sentence read to find who it names first: news sentences name a handful
# of people; a sentence of thousands of names is not news.
SENTENCE_MENTIONS = 40

# Words into the previous sentence within which a person or pronoun must stand to be
# the sentence's subject, when the sentence has no speech cue.
SUBJECT_PERSON_WORDS = 3
SUBJECT_PRONOUN_WORDS = 2

# A title in quotation marks has at most this many words (the film "Last Call at the Orpheum").
TITLE_MAX_WORDS = 6

# Adjacent capitalised words around quotation marks: at most this many words is a nickname.
NICKNAME_QUOTE_WORDS = 2

# Texts at least this long are analysed with the cyclic garbage collector paused: below
# it the collector costs nothing measurable, above it its full passes grow with the text.
GC_PAUSE_CHARS = 200_000

# Lines one label ("ODUYA:", "Q:") must open for a text to be a transcript.
TRANSCRIPT_MIN_LINES = 2
