// Replays inputs through a fuzz target without libFuzzer, so fuzz targets build and run with
// any compiler: every file argument is one input; a directory contributes every regular file
// below it (sorted, so runs are reproducible). Arguments starting with '-' (libFuzzer flags)
// are ignored. With no input at all, the empty input is run once.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
#if defined(__GNUC__) || defined(__clang__)
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) __attribute__((weak));
#endif

namespace {

// Each input gets a heap buffer of exactly its size, so a sanitizer sees any read past the end.
bool run_input(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "replay: cannot open %s\n", path.string().c_str());
    return false;
  }
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
  std::unique_ptr<std::uint8_t[]> data(new std::uint8_t[bytes.size()]);
  std::copy(bytes.begin(), bytes.end(), data.get());
  std::fprintf(stderr, "replay: %s (%zu bytes)\n", path.string().c_str(), bytes.size());
  LLVMFuzzerTestOneInput(data.get(), bytes.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
#if defined(__GNUC__) || defined(__clang__)
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
#endif
  std::vector<std::filesystem::path> inputs;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (!arg.empty() && arg[0] == '-') continue;
    const std::filesystem::path path(arg);
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      std::vector<std::filesystem::path> files;
      for (const auto& entry : std::filesystem::recursive_directory_iterator(path, ec)) {
        if (entry.is_regular_file(ec)) files.push_back(entry.path());
      }
      if (ec) {
        std::fprintf(stderr, "replay: cannot list %s: %s\n", arg.c_str(), ec.message().c_str());
        return 2;
      }
      std::sort(files.begin(), files.end());
      inputs.insert(inputs.end(), files.begin(), files.end());
    } else if (std::filesystem::is_regular_file(path, ec)) {
      inputs.push_back(path);
    } else {
      std::fprintf(stderr, "replay: no such file or directory: %s\n", arg.c_str());
      return 2;
    }
  }

  if (inputs.empty()) {
    std::unique_ptr<std::uint8_t[]> empty(new std::uint8_t[0]);
    LLVMFuzzerTestOneInput(empty.get(), 0);
    std::printf("replay: no inputs given, ran the empty input\n");
    return 0;
  }
  for (const auto& path : inputs) {
    if (!run_input(path)) return 2;
  }
  std::printf("replay: %zu inputs, no crash\n", inputs.size());
  return 0;
}
