"""Language names by ISO 639-1 code: one table for ingest (reading stated languages) and display.

The codes are those the detector can return (langdetect's profiles, plus the region's languages
that searchapp/ingest/language.py tells apart by their letters). Names are English, as the
desk's interface is; the code stays the value everywhere (URLs, the index, the API).
"""
from __future__ import annotations

NAMES: dict[str, str] = {
    "af": "Afrikaans", "ar": "Arabic", "az": "Azerbaijani", "be": "Belarusian", "bg": "Bulgarian",
    "bn": "Bengali", "ca": "Catalan", "cs": "Czech", "cy": "Welsh", "da": "Danish", "de": "German",
    "el": "Greek", "en": "English", "es": "Spanish", "et": "Estonian", "fa": "Persian",
    "fi": "Finnish", "fr": "French", "gu": "Gujarati", "he": "Hebrew", "hi": "Hindi",
    "hr": "Croatian", "hu": "Hungarian", "hy": "Armenian", "id": "Indonesian", "it": "Italian",
    "ja": "Japanese", "ka": "Georgian", "kk": "Kazakh", "kn": "Kannada", "ko": "Korean",
    "ky": "Kyrgyz", "lt": "Lithuanian", "lv": "Latvian", "mk": "Macedonian", "ml": "Malayalam",
    "mn": "Mongolian", "mr": "Marathi", "ne": "Nepali", "nl": "Dutch", "no": "Norwegian",
    "pa": "Punjabi", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian",
    "sk": "Slovak", "sl": "Slovenian", "so": "Somali", "sq": "Albanian", "sr": "Serbian",
    "sv": "Swedish", "sw": "Swahili", "ta": "Tamil", "te": "Telugu", "tg": "Tajik", "th": "Thai",
    "tk": "Turkmen", "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu",
    "uz": "Uzbek", "vi": "Vietnamese", "zh": "Chinese",
}
UNKNOWN = "und"

# Three-letter codes (ISO 639-2/3) and names in English and the region's languages, as exports
# write them in a language column.
_OTHER_FORMS: dict[str, str] = {
    "eng": "en", "rus": "ru", "kaz": "kk", "bel": "be", "ukr": "uk", "uzb": "uz", "kir": "ky",
    "tgk": "tg", "deu": "de", "ger": "de", "fra": "fr", "fre": "fr", "spa": "es", "ita": "it",
    "zho": "zh", "chi": "zh", "ara": "ar", "tur": "tr", "pol": "pl", "hye": "hy", "arm": "hy",
    "aze": "az", "kat": "ka", "geo": "ka", "tuk": "tk", "mon": "mn", "por": "pt", "ron": "ro",
    "rum": "ro", "nld": "nl", "dut": "nl", "bul": "bg", "srp": "sr", "hrv": "hr", "ces": "cs",
    "cze": "cs", "slk": "sk", "lit": "lt", "lav": "lv", "est": "et", "fin": "fi", "swe": "sv",
    "jpn": "ja", "kor": "ko", "fas": "fa", "per": "fa", "heb": "he", "hin": "hi", "ind": "id",
    "vie": "vi", "tha": "th", "nor": "no", "nob": "no", "nb": "no", "nn": "no", "dan": "da",
    "ell": "el", "gre": "el", "hun": "hu",
    "русский": "ru", "английский": "en", "казахский": "kk", "қазақ": "kk", "қазақша": "kk",
    "белорусский": "be", "беларуская": "be", "украинский": "uk", "українська": "uk",
    "узбекский": "uz", "o'zbek": "uz", "oʻzbek": "uz", "ўзбек": "uz", "кыргызский": "ky",
    "киргизский": "ky", "кыргызча": "ky", "таджикский": "tg", "тоҷикӣ": "tg",
}
_BY_NAME = {name.lower(): code for code, name in NAMES.items()} | {"kirghiz": "ky", "tadzhik": "tg",
                                                                   "byelorussian": "be"}


def language_name(code: str | None) -> str:
    """Return a language's English name for its code ("Unknown" for none, the code when not listed)."""
    if not code or code == UNKNOWN:
        return "Unknown"
    return NAMES.get(code, code)


def language_code(stated: str | None) -> str | None:
    """Return the ISO 639-1 code a stated language means ("en", "en-US", "ENG", "Russian"), else None."""
    text = (stated or "").strip().lower().replace("_", "-")
    if not text:
        return None
    if text in NAMES:
        return text
    primary = text.split("-", 1)[0].strip()
    if primary in NAMES:
        return primary
    return _OTHER_FORMS.get(primary) or _OTHER_FORMS.get(text) or _BY_NAME.get(text)
