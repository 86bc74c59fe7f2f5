"""sitrep.analyse"""
