"""French typography of composed sentences: "de" elided before a vowel, so that a name slotted into
a translated message reads "Consentement d’Élodie", "Fichiers d’Atelier…", not "de Élodie".

The catalogue cannot do it: "Consent of %(who)s" has one translation whatever the name. So the
sentence is composed first and elided after, by `elide()` (Python) or the `|elide` filter
(templates). It is applied to short composed titles only, never to free text.
"""

import re

from django.utils.safestring import SafeData, mark_safe

VOWELS = "AEIOUÀÂÄÉÈÊËÎÏÔÖÙÛÜŒÆaeiouàâäéèêëîïôöùûüœæ"
# Whether an "h" is mute is a matter for a dictionary; before an accented vowel it nearly always is
# ("d’Hélène", "d’Hôtel de ville"), while "de Hauts-de-France" or "de Harry" keep their "de".
# Never before "y" ("de Yann").
_DE = re.compile(rf"\b([Dd])e ([{VOWELS}]|[Hh][éèêôÉÈÊÔ])")
APOSTROPHE = "\u2019"  # the catalogue's typographic apostrophe


def elide(text):
    """ "Fichiers de Atelier" -> "Fichiers d’Atelier"; keeps a safe (escaped) string safe."""
    result = _DE.sub(rf"\1{APOSTROPHE}\2", str(text))
    return mark_safe(result) if isinstance(text, SafeData) else result
