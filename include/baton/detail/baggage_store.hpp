// Memory of the owning baggage container and of its parser: one heap block per container, and
// staging buffers that live inside the parser object so typical headers stage without
// allocating.
#ifndef BATON_DETAIL_BAGGAGE_STORE_HPP
#define BATON_DETAIL_BAGGAGE_STORE_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "baton/detail/config.hpp"

BATON_BEGIN_NAMESPACE
namespace detail {

/// A record: an entry, followed by one record per property of the entry. Key and value are
/// adjacent in the text: key at [off, off+key_len), then value_len bytes of value.
struct baggage_slot {
  std::uint32_t off;
  std::uint32_t key_len;
  std::uint32_t value_len;
  std::uint32_t info;  // entry: number of properties; property: 1 if it has a value
};

/// One heap block holding slot_capacity() records, then text_capacity() bytes of text; none
/// while empty. Sizes are 32-bit: callers keep the text under 4 GiB.
class baggage_store {
 public:
  baggage_store() noexcept = default;
  baggage_store(const baggage_store& other) {
    if (other.block_ == nullptr) return;
    allocate_exact(other.slot_count_, other.text_size_);
    std::memcpy(slots(), other.slots(), other.slot_count_ * sizeof(baggage_slot));
    std::memcpy(text(), other.text(), other.text_size_);
  }
  baggage_store(baggage_store&& other) noexcept { take(other); }
  baggage_store& operator=(const baggage_store& other) {
    if (this != &other) {
      baggage_store copy(other);
      release();
      take(copy);
    }
    return *this;
  }
  baggage_store& operator=(baggage_store&& other) noexcept {
    if (this != &other) {
      release();
      take(other);
    }
    return *this;
  }
  ~baggage_store() { release(); }

  std::size_t slot_count() const noexcept { return slot_count_; }
  std::size_t text_size() const noexcept { return text_size_; }
  std::size_t text_capacity() const noexcept { return text_cap_; }
  baggage_slot* slots() noexcept { return block_; }
  const baggage_slot* slots() const noexcept { return block_; }
  // The text lives in the records' storage after the last record: bytes of objects may be
  // accessed through char pointers.
  char* text() noexcept {
    return block_ == nullptr ? nullptr : reinterpret_cast<char*>(block_ + slot_cap_);
  }
  const char* text() const noexcept {
    return block_ == nullptr ? nullptr : reinterpret_cast<const char*>(block_ + slot_cap_);
  }

  /// Replaces the contents with exactly `slots` records and `text` bytes, uninitialized.
  void allocate_exact(std::size_t slots, std::size_t text_bytes) {
    baggage_slot* block = new baggage_slot[slots + units(text_bytes)];
    release();
    block_ = block;
    slot_count_ = slot_cap_ = static_cast<std::uint32_t>(slots);
    text_size_ = text_cap_ = static_cast<std::uint32_t>(text_bytes);
  }

  /// Room for `slots` records and `text` bytes in all, contents kept (capacities grow at least
  /// twofold, so repeated growth is amortized).
  void reserve(std::size_t slots, std::size_t text_bytes) {
    if (slots <= slot_cap_ && text_bytes <= text_cap_) return;
    const std::size_t slot_cap = slots > slot_cap_ ? grow(slot_cap_, slots) : slot_cap_;
    const std::size_t text_cap = text_bytes > text_cap_ ? grow(text_cap_, text_bytes) : text_cap_;
    baggage_slot* block = new baggage_slot[slot_cap + units(text_cap)];
    if (block_ != nullptr) {
      std::memcpy(block, block_, slot_count_ * sizeof(baggage_slot));
      std::memcpy(reinterpret_cast<char*>(block + slot_cap), text(), text_size_);
    }
    delete[] block_;
    block_ = block;
    slot_cap_ = static_cast<std::uint32_t>(slot_cap);
    text_cap_ = static_cast<std::uint32_t>(text_cap);
  }

  void set_text_size(std::size_t n) noexcept {
    BATON_ASSERT(n <= text_cap_);
    text_size_ = static_cast<std::uint32_t>(n);
  }
  void set_slot_count(std::size_t n) noexcept {
    BATON_ASSERT(n <= slot_cap_);
    slot_count_ = static_cast<std::uint32_t>(n);
  }

  /// Replaces records [at, at+remove) with a gap of `count` records, returned for the caller
  /// to fill. The capacity must already allow it (reserve()).
  baggage_slot* splice(std::size_t at, std::size_t remove, std::size_t count) noexcept {
    BATON_ASSERT(at + remove <= slot_count_ && slot_count_ - remove + count <= slot_cap_);
    baggage_slot* const s = block_;
    std::memmove(s + at + count, s + at + remove,
                 (slot_count_ - at - remove) * sizeof(baggage_slot));
    slot_count_ = static_cast<std::uint32_t>(slot_count_ - remove + count);
    return s + at;
  }

  void release() noexcept {
    delete[] block_;
    block_ = nullptr;
    slot_count_ = slot_cap_ = text_size_ = text_cap_ = 0;
  }

 private:
  static std::size_t units(std::size_t bytes) noexcept {
    return (bytes + sizeof(baggage_slot) - 1) / sizeof(baggage_slot);
  }
  // Capacities are stored in 32 bits (callers keep `need` below 4 GiB): doubling must not pass
  // that, or a truncated capacity would be smaller than the contents.
  static std::size_t grow(std::size_t cap, std::size_t need) noexcept {
    constexpr std::size_t max = 0xffffffffu;
    const std::size_t doubled = cap > max / 2 ? max : 2 * cap;
    return need > doubled ? need : doubled;
  }
  void take(baggage_store& other) noexcept {
    block_ = other.block_;
    slot_count_ = other.slot_count_;
    slot_cap_ = other.slot_cap_;
    text_size_ = other.text_size_;
    text_cap_ = other.text_cap_;
    other.block_ = nullptr;
    other.slot_count_ = other.slot_cap_ = other.text_size_ = other.text_cap_ = 0;
  }

  baggage_slot* block_ = nullptr;
  std::uint32_t slot_count_ = 0;
  std::uint32_t slot_cap_ = 0;
  std::uint32_t text_size_ = 0;
  std::uint32_t text_cap_ = 0;
};

/// A growable array whose first N elements live inside the object (the parser lives on the
/// caller's stack); more spill to a vector.
template <class T, std::size_t N>
class baggage_stage_buffer {
 public:
  baggage_stage_buffer() noexcept {}  // inline_ stays uninitialized until pushed
  baggage_stage_buffer(const baggage_stage_buffer&) = delete;
  baggage_stage_buffer& operator=(const baggage_stage_buffer&) = delete;

  T* data() noexcept { return heap_.empty() ? inline_ : heap_.data(); }
  std::size_t size() const noexcept { return heap_.empty() ? size_ : heap_.size(); }
  void push_back(const T& value) {
    if (heap_.empty()) {
      if (size_ < N) {
        inline_[size_++] = value;
        return;
      }
      heap_.reserve(2 * N);
      heap_.assign(inline_, inline_ + size_);
    }
    heap_.push_back(value);
  }

 private:
  std::size_t size_ = 0;
  std::vector<T> heap_;
  T inline_[N];
};

/// The parser's text: N bytes inside the object, then a heap buffer.
template <std::size_t N>
class baggage_text_stage {
 public:
  baggage_text_stage() noexcept {}
  baggage_text_stage(const baggage_text_stage&) = delete;
  baggage_text_stage& operator=(const baggage_text_stage&) = delete;

  char* data() noexcept { return heap_ ? heap_.get() : inline_; }
  /// Room for `need` bytes, keeping the first `used`.
  void reserve(std::size_t need, std::size_t used) {
    if (need <= capacity_) return;
    const std::size_t cap = need > 2 * capacity_ ? need : 2 * capacity_;
    std::unique_ptr<char[]> bigger(new char[cap]);
    std::memcpy(bigger.get(), data(), used);
    heap_ = std::move(bigger);
    capacity_ = cap;
  }

 private:
  std::unique_ptr<char[]> heap_;
  std::size_t capacity_ = N;
  char inline_[N];
};

}  // namespace detail
BATON_END_NAMESPACE

#endif  // BATON_DETAIL_BAGGAGE_STORE_HPP
