"""The extract stage: a spaCy pipeline that turns an Article into statements, claims,
events and times (see ``sitrep.extract.pipeline``)."""
