"""English as the portal writes it for a Danish and Mexican readership: the day first, the month
by name, so no date reads one way in Copenhagen and another in Mexico City."""

DATE_FORMAT = "j F Y"  # 9 August 2023
SHORT_DATE_FORMAT = "j M Y"  # 9 Aug 2023
DATETIME_FORMAT = "j M Y, H:i"  # 9 Aug 2023, 14:05
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1
DATE_INPUT_FORMATS = ["%Y-%m-%d"]  # what the date inputs send
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
PERCENT_FORMAT = "{}%"  # 37%
