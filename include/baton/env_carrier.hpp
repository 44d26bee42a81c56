// Environment variables as a carrier (OpenTelemetry's "environment variables as context
// propagation carriers"): TRACEPARENT, TRACESTATE, BAGGAGE for batch jobs, CLIs and CI steps.
// The process environment is read once into a copy and never modified: setenv/putenv are not
// thread-safe, and a child must get its own TRACEPARENT rather than inherit the parent's.
#ifndef BATON_ENV_CARRIER_HPP
#define BATON_ENV_CARRIER_HPP

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "baton/detail/charset.hpp"
#include "baton/detail/config.hpp"

#if defined(_WIN32)
#include <stdlib.h>  // _environ
#else
extern "C" {
extern char** environ;  // POSIX; declared here because <unistd.h> declares it only with _GNU_SOURCE
}
#endif

BATON_BEGIN_NAMESPACE

/// A copy of a set of environment variables ("NAME=value" entries), in order. Names are
/// case-sensitive, except on Windows where the system compares them ignoring case.
class environment {
 public:
  struct entry {
    std::string name;
    std::string value;
  };

  /// Largest value set() accepts: Windows' limit for a whole NAME=value entry.
  static constexpr std::size_t max_value_size = 32767;

  environment() = default;

  /// Copies an envp-style block (a null-terminated array of "NAME=value" strings, as main's
  /// third argument or execve's). Entries without '=' or with an empty name are skipped. A
  /// null envp gives an empty environment.
  static environment from_envp(const char* const* envp) {
    environment env;
    if (envp == nullptr) return env;
    for (; *envp != nullptr; ++envp) {
      const std::string_view text(*envp);
      const std::size_t eq = text.find('=', 1);  // Windows has "=C:=..." entries: skip the lead
      if (eq == std::string_view::npos || eq == 0) continue;
      env.entries_.push_back(
          entry{std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))});
    }
    return env;
  }

  /// A copy of this process's environment. Take it once, early (before threads that might call
  /// setenv start), and pass it around: baton never reads the environment behind your back.
  static environment snapshot() {
#if defined(_WIN32)
    return from_envp(_environ);
#else
    return from_envp(environ);
#endif
  }

  /// The value of `name`, if set.
  std::optional<std::string_view> get(std::string_view name) const noexcept {
    for (const entry& e : entries_) {
      if (same_name(e.name, name)) return std::string_view(e.value);
    }
    return std::nullopt;
  }

  /// Sets `name` in this copy only (the process environment is never touched). A value with a
  /// control character (CR, LF, NUL...) or over max_value_size is refused: returns false.
  bool set(std::string_view name, std::string_view value) {
    if (name.empty() || name.find('=') != std::string_view::npos) return false;
    if (value.size() > max_value_size || has_control(value) || has_control(name)) return false;
    for (entry& e : entries_) {
      if (same_name(e.name, name)) {
        e.value.assign(value.data(), value.size());
        return true;
      }
    }
    entries_.push_back(entry{std::string(name), std::string(value)});
    return true;
  }

  /// Removes `name` from this copy; returns whether it was there.
  bool erase(std::string_view name) {
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (same_name(it->name, name)) {
        entries_.erase(it);
        return true;
      }
    }
    return false;
  }

  std::size_t size() const noexcept {
    return entries_.size();
  }
  bool empty() const noexcept {
    return entries_.empty();
  }
  std::vector<entry>::const_iterator begin() const noexcept {
    return entries_.begin();
  }
  std::vector<entry>::const_iterator end() const noexcept {
    return entries_.end();
  }

  /// A null-terminated "NAME=value" array for execve / posix_spawn / CreateProcess, owning its
  /// strings. Valid while the block lives; independent of the environment it came from.
  class block {
   public:
    // Move-only: the pointers point into this block's own strings.
    block() = default;
    block(const block&) = delete;
    block& operator=(const block&) = delete;
    block(block&&) noexcept = default;
    block& operator=(block&&) noexcept = default;

    char* const* envp() noexcept { return pointers_.data(); }
    std::size_t size() const noexcept { return strings_.size(); }

   private:
    friend class environment;
    std::vector<std::string> strings_;
    std::vector<char*> pointers_;
  };

  /// The block for a child process.
  block to_block() const {
    block b;
    b.strings_.reserve(entries_.size());
    for (const entry& e : entries_) {
      std::string s;
      s.reserve(e.name.size() + 1 + e.value.size());
      s.append(e.name).append(1, '=').append(e.value);
      b.strings_.push_back(std::move(s));
    }
    b.pointers_.reserve(b.strings_.size() + 1);
    for (std::string& s : b.strings_) b.pointers_.push_back(&s[0]);
    b.pointers_.push_back(nullptr);
    return b;
  }

 private:
  static bool same_name(std::string_view a, std::string_view b) noexcept {
#if defined(_WIN32)
    return detail::iequals_ascii(a, b);
#else
    return a == b;
#endif
  }
  static bool has_control(std::string_view s) noexcept {
    for (const char c : s) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x20 || u == 0x7f) return true;
    }
    return false;
  }

  std::vector<entry> entries_;
};

/// The environment variable name for a propagation field: uppercase, with every character
/// outside [A-Za-z0-9_] replaced by '_' (traceparent -> TRACEPARENT, x-b3-traceid ->
/// X_B3_TRACEID), as the OpenTelemetry environment-carrier spec asks.
inline std::string environment_name(std::string_view field) {
  std::string out(field);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    } else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
      c = '_';
    }
  }
  return out;
}

/// A carrier over an environment copy: propagators read and write TRACEPARENT, TRACESTATE,
/// BAGGAGE (and X_AMZN_TRACE_ID, B3, UBER_TRACE_ID... for other formats). Construct it over a
/// const environment to read (extract), over a mutable one to write (inject into a child's
/// environment). Values with control characters are never written.
template <class Env>
class basic_env_carrier {
 public:
  explicit basic_env_carrier(Env& env) noexcept : env_(&env) {}

  template <class F>
  void for_each(std::string_view field, F&& visit) const {
    char name[64];
    if (!map_name(field, name)) return;
    const std::optional<std::string_view> value = env_->get(std::string_view(name, field.size()));
    if (value) visit(*value);
  }

  template <class E = Env, class = std::enable_if_t<!std::is_const_v<E>>>
  void set(std::string_view field, std::string_view value) {
    char name[64];
    if (!map_name(field, name)) return;
    // A refused value (a control character, too long) must not leave the inherited one in
    // place: the child would receive the parent's context.
    if (!env_->set(std::string_view(name, field.size()), value)) {
      env_->erase(std::string_view(name, field.size()));
    }
  }

  template <class E = Env, class = std::enable_if_t<!std::is_const_v<E>>>
  void erase(std::string_view field) {
    char name[64];
    if (!map_name(field, name)) return;
    env_->erase(std::string_view(name, field.size()));
  }

 private:
  // Field names are short constants; mapping into a stack buffer keeps extraction
  // allocation-free.
  static bool map_name(std::string_view field, char (&out)[64]) noexcept {
    if (field.empty() || field.size() > sizeof out) return false;
    for (std::size_t i = 0; i < field.size(); ++i) {
      char c = field[i];
      if (c >= 'a' && c <= 'z') {
        c = static_cast<char>(c - 'a' + 'A');
      } else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
        c = '_';
      }
      out[i] = c;
    }
    return true;
  }

  Env* env_;
};

using env_carrier = basic_env_carrier<environment>;
using const_env_carrier = basic_env_carrier<const environment>;

/// A read-only carrier over `env`.
inline const_env_carrier env_reader(const environment& env) noexcept {
  return const_env_carrier(env);
}
/// A read-write carrier over `env` (for a child's environment).
inline env_carrier env_writer(environment& env) noexcept {
  return env_carrier(env);
}

BATON_END_NAMESPACE

#endif  // BATON_ENV_CARRIER_HPP
