# The declared state gives hello the pages of buddy's image (a name of the same length, so
# the text keeps its size): the live pages are hello's own, at other addresses. Applied to
# the expected state (after the marker), not to the build tables.
s/"  image hello\.elf\\n"/"  image buddy.elf\\n"/
