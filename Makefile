# Playdeck: `make run` and `make test` do all the set-up on a fresh Debian 12 machine.

BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
SANITIZE ?= OFF
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian 12 packages: build, run, test.
# qt6-charts-dev needs libqt6opengl6-dev for its CMake config (Qt6Charts depends on Qt6OpenGL) but does not pull it in.
BUILD_PACKAGES := build-essential cmake ninja-build pkg-config ccache clang-format \
	qt6-base-dev qt6-base-dev-tools qt6-websockets-dev qt6-charts-dev libqt6opengl6-dev qt6-tools-dev qt6-l10n-tools \
	qtkeychain-qt6-dev libarchive-dev libpq-dev libyaml-dev libsimdjson-dev
RUN_PACKAGES := libqt6sql6-psql libsimdjson14 libqt6charts6 qt6-translations-l10n postgresql ansible-core python3-ansible-runner git openssh-client openssl \
	libsecret-1-0 gnome-keyring fonts-dejavu-core
TEST_PACKAGES := xvfb xauth dbus-daemon
PACKAGES := $(BUILD_PACKAGES) $(RUN_PACKAGES) $(TEST_PACKAGES)
# Only for `make fuzz`: clang with its libFuzzer runtime.
FUZZ_PACKAGES := clang-14 libclang-rt-14-dev
FUZZ_DIR ?= build-fuzz
FUZZ_RUNS ?= 100000

.PHONY: all deps build run test clean format bench fuzz

all: build

deps:
	@$(MAKE) --no-print-directory install-packages LIST="$(PACKAGES)"

install-packages:
	@missing=$$(for p in $(LIST); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing missing Debian packages:" $$missing; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DPLAYDECK_SANITIZE=$(SANITIZE)

build: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR)

# With a display: the window. Without one: the demo template runs in the terminal.
run: build
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		exec $(BUILD_DIR)/app/playdeck; \
	else \
		echo "No display: running the demo template in the terminal."; \
		exec $(BUILD_DIR)/app/playdeck launch "Demo Job Template" --follow; \
	fi

test: build
	tools/run-tests $(BUILD_DIR)

bench: build
	$(BUILD_DIR)/bench/bench_launch
	$(BUILD_DIR)/bench/bench_memory
	$(BUILD_DIR)/bench/bench_ingest
	$(BUILD_DIR)/bench/bench_readers
	$(BUILD_DIR)/bench/bench_websocket
	$(BUILD_DIR)/bench/bench_outputview

# libFuzzer targets (fuzz/), each run FUZZ_RUNS times from its seed corpus: `make fuzz FUZZ_RUNS=10000000`.
fuzz: deps
	@$(MAKE) --no-print-directory install-packages LIST="$(FUZZ_PACKAGES)"
	cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPLAYDECK_FUZZ=ON \
		-DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14
	cmake --build $(FUZZ_DIR) --target fuzz_extravars fuzz_resultstream fuzz_eventline
	tools/run-fuzzers $(FUZZ_DIR) $(FUZZ_RUNS)

format:
	git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
