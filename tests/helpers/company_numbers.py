"""Real INNs and OGRNs/OGRNIPs, which pass the check digits as the registers issued them."""

# Real numbers from the public registers: Sberbank, Gazprom (companies), and individual
# entrepreneurs' INNs and OGRNIPs as published on their own sites.
REAL_COMPANY_INNS = ["7707083893", "7736050003"]
REAL_ENTREPRENEUR_INNS = ["381914223321", "583680182669", "772796119977"]
REAL_OGRNS = ["1027700132195", "1027700070518", "1027739552642"]
REAL_OGRNIPS = ["321385000066066", "305504216100028", "324580000027704", "321861700018582"]
# OGRNIPs whose remainder mod 13 is 12: python-stdnum alone refuses them.
REAL_OGRNIPS_WITH_TWO_DIGIT_REMAINDER = ["317237500425682", "325774600403322"]
