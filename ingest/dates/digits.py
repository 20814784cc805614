"""Digits as pages print them in other scripts, read as ASCII: "٥ يناير ٢٠٢٠", "२०२० जनवरी ५", "２０２１年３月５日".

Every date pattern of this package spells its digits in ASCII ("(?:19|20)\\d{2}"): a text is translated
before it is matched. Each digit stays one character, so a match's positions are the original text's.
"""

from __future__ import annotations

# the zero of each run of ten decimal digits that news pages print: Arabic-Indic, Extended Arabic-Indic
# (Persian, Urdu), Devanagari, Bengali, Gurmukhi, Gujarati, Oriya, Tamil, Telugu, Kannada, Malayalam,
# Thai, Lao, Tibetan, Myanmar, Khmer and the full-width digits of Chinese, Japanese and Korean text
_ZEROS = (0x0660, 0x06F0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0E50,
          0x0ED0, 0x0F20, 0x1040, 0x17E0, 0xFF10)
_ASCII = {zero + n: str(n) for zero in _ZEROS for n in range(10)}


def ascii_digits(text: str) -> str:
    """'٢٠٢٠' → '2020', '２０２１年３月５日' → '2021年3月5日'; every other character as it was."""
    return text.translate(_ASCII) if not text.isascii() else text
