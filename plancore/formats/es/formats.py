"""Spanish as Mexico's federal administration writes it: "9 de agosto de 2023", "9 ago 2023",
the 24-hour clock, and a space before the percent sign ("37 %")."""

DATE_FORMAT = r"j \d\e F \d\e Y"  # 9 de agosto de 2023
SHORT_DATE_FORMAT = "j b Y"  # 9 ago 2023
DATETIME_FORMAT = "j b Y, H:i"  # 9 ago 2023, 14:05
SHORT_DATETIME_FORMAT = "j b Y, H:i"
MONTH_DAY_FORMAT = r"j \d\e F"
YEAR_MONTH_FORMAT = r"F \d\e Y"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
PERCENT_FORMAT = "{}\u00a0%"  # 37 %
