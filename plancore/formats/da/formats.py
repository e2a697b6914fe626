"""Danish as the Danish administration writes it: "9. august 2023", "9. aug. 2023", "kl. 14.05",
and a space before the percent sign ("37 %")."""

DATE_FORMAT = "j. F Y"  # 9. august 2023
SHORT_DATE_FORMAT = "j. N Y"  # 9. aug. 2023, 9. maj 2023, 9. sept. 2023
DATETIME_FORMAT = r"j. N Y \k\l. H.i"  # 9. aug. 2023 kl. 14.05
SHORT_DATETIME_FORMAT = r"j. N Y \k\l. H.i"
MONTH_DAY_FORMAT = "j. F"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H.i"
FIRST_DAY_OF_WEEK = 1
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
PERCENT_FORMAT = "{}\u00a0%"  # 37 %
