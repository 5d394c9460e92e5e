# lessons for daily use: `make install` builds a release binary and installs it, with its lesson
# pack, man page and shell completions (scripts/install.sh does the work and says what it did).
#
#   make                    swift build -c release, and the man page
#   make install            build, then install into PREFIX
#   make uninstall          remove what install put into PREFIX
#   make test               swift test
#
# PREFIX defaults to ~/.local for a user and /usr/local for root; DESTDIR stages the files for
# a package (`make install DESTDIR=/tmp/stage PREFIX=/usr`). For a system-wide install, build
# as yourself first so that .build/ stays yours: `make && sudo make install PREFIX=/usr/local`.

PREFIX ?= $(if $(filter 0,$(shell id -u)),/usr/local,$(HOME)/.local)
DESTDIR ?=

.PHONY: all build install uninstall test

all build:
	scripts/install.sh --build-only

install:
	DESTDIR="$(DESTDIR)" scripts/install.sh --prefix "$(PREFIX)"

uninstall:
	DESTDIR="$(DESTDIR)" scripts/install.sh --uninstall --prefix "$(PREFIX)"

test:
	swift test
