"""sitrep.serve"""
