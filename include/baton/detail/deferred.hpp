// deferred<T>: room for a T that is made on first use, or never. std::optional<T> says the same,
// but libstdc++ zero-fills its whole storage when it is constructed: for a large T on a hot
// path (the W3C extract's 1 KiB tracestate parser) that is a memset on every call, even when
// no T is ever made.
#ifndef BATON_DETAIL_DEFERRED_HPP
#define BATON_DETAIL_DEFERRED_HPP

#include <new>
#include <utility>

#include "baton/detail/config.hpp"

BATON_BEGIN_NAMESPACE
namespace detail {

template <class T>
class deferred {
 public:
  deferred() noexcept {}  // leaves the storage alone: no T yet
  deferred(const deferred&) = delete;
  deferred& operator=(const deferred&) = delete;
  ~deferred() {
    if (made_) room_.value.~T();
  }

  bool made() const noexcept { return made_; }

  /// The T, made from `args` on the first call; later calls return it and ignore `args`.
  template <class... Args>
  T& get(Args&&... args) {
    if (!made_) {
      ::new (static_cast<void*>(&room_.value)) T(std::forward<Args>(args)...);
      made_ = true;
    }
    return room_.value;
  }

  /// The T; made() must be true.
  T& operator*() noexcept { return room_.value; }

 private:
  union room {
    room() noexcept {}
    ~room() {}
    T value;
  } room_;
  bool made_ = false;
};

}  // namespace detail
BATON_END_NAMESPACE

#endif  // BATON_DETAIL_DEFERRED_HPP
