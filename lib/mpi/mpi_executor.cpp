// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// mpi_executor: the root's progress thread, the workers' loop, the registry.

#include <boost/stm/mpi_executor.hpp>

#include <boost/stm/atomically.hpp>
#include <boost/stm/errors.hpp>
#include <boost/stm/tqueue.hpp>

#include <boost/core/demangle.hpp>
#include <boost/mpi/collectives/all_gather.hpp>
#include <boost/mpi/environment.hpp>
#include <boost/mpi/exception.hpp>
#include <boost/mpi/status.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>

#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>
#include <unordered_map>

namespace boost {
namespace stm {

namespace bmpi = boost::mpi;
using detail::mpi::batch;
using detail::mpi::batch_output;
using detail::mpi::batch_reply;
using detail::mpi::describe_current_exception;
using detail::mpi::fn_address;
using detail::mpi::invoker;
using detail::mpi::put_bytes;
using detail::mpi::put_u32;

remote_error::remote_error(std::string type_name, std::string message, int rank)
    : std::runtime_error("boost::stm::remote_error: " + type_name + " on rank " +
                         std::to_string(rank) + ": " + message),
      type_name_(std::move(type_name)),
      message_(std::move(message)),
      rank_(rank) {}

namespace {

// --- the registry ---------------------------------------------------------

struct registered {
  std::string signature;
  invoker call;
  fn_address address;
};

struct registry {
  std::map<std::string, registered> functions;  // ordered: indices agree across ranks
  std::vector<std::string> errors;
};

registry& the_registry() {
  static registry r;
  return r;
}

// --- the wire format --------------------------------------------------------
// A task message: function index, number of calls n, a run byte per call
// (0 for a call cancelled before it was sent), then the calls' arguments as
// one item_writer of the parameter types wrote them.
// A result message: 1, a status byte per call (see batch_output), the
// size and bytes of the failures' type names and messages, then the
// results; or, if the batch failed as a whole (its arguments or a result
// could not be read or written), 0, the type name and the message.

struct reader {
  const char* p;
  const char* end;
  std::uint32_t u32() {
    if (end - p < 4) throw std::runtime_error("truncated message");
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    p += 4;
    return v;
  }
  const char* take(std::size_t n) {
    if (static_cast<std::size_t>(end - p) < n) throw std::runtime_error("truncated message");
    const char* b = p;
    p += n;
    return b;
  }
  std::string string() {
    const std::uint32_t n = u32();
    return std::string(take(n), n);
  }
};

std::exception_ptr result_read_failure(int rank) {
  auto d = describe_current_exception();
  return std::make_exception_ptr(
      remote_error(d.first, "the result could not be deserialized: " + d.second, rank));
}

// Runs a task message's calls and writes the result message.
void run_batch(const std::vector<invoker>& table, const char* data, std::size_t size,
               batch_output& scratch, std::string& out) {
  out.clear();
  scratch.status.clear();
  scratch.errors.clear();
  scratch.values.clear();
  try {
    reader in{data, data + size};
    const std::uint32_t fn = in.u32();
    const std::uint32_t n = in.u32();
    const char* run = in.take(n);
    if (fn >= table.size()) throw std::runtime_error("no registered function has this index");
    table[fn](in.p, static_cast<std::size_t>(in.end - in.p), n, run, scratch);
    out.reserve(1 + scratch.status.size() + 4 + scratch.errors.size() + scratch.values.size());
    out.push_back(1);
    out += scratch.status;
    put_bytes(out, scratch.errors);
    out += scratch.values;
  } catch (...) {
    auto d = describe_current_exception();
    out.clear();
    out.push_back(0);
    put_bytes(out, d.first);
    put_bytes(out, d.second);
  }
}

// Idle polling: yield a while, then sleep, doubling up to a limit, so that
// idle ranks leave the cores to busy ones (mpirun --oversubscribe).
class backoff {
public:
  void reset() noexcept { n_ = 0; }
  void pause() {
    if (n_ < 128) {
      ++n_;
      std::this_thread::yield();
      return;
    }
    const unsigned shift = std::min(n_ - 128, 10u);
    ++n_;
    std::this_thread::sleep_for(std::chrono::microseconds(std::min(1u << shift, 1000u)));
  }

private:
  unsigned n_ = 0;
};

constexpr int tag_task = 1;
constexpr int tag_result = 2;
constexpr int tag_stop = 3;

}  // namespace

namespace detail {
namespace mpi {
bool register_function(const char* name, std::string signature, invoker call,
                       fn_address address) noexcept {
  try {
    registry& r = the_registry();
    auto found = r.functions.find(name);
    if (found == r.functions.end()) {
      r.functions.emplace(name, registered{std::move(signature), call, address});
    } else if (found->second.address != address) {
      r.errors.push_back(std::string("the name '") + name + "' is registered for two functions");
    }
  } catch (...) {
    std::fprintf(stderr, "boost::stm: BOOST_STM_REMOTE(%s) ran out of memory\n", name);
  }
  return true;
}
}  // namespace mpi
}  // namespace detail

// --- the executor -------------------------------------------------------------

struct mpi_executor::impl {
  bmpi::communicator comm;
  int root = 0;
  std::vector<invoker> table;
  std::unordered_map<fn_address, std::uint32_t> index;

  // The root's queue of chunks not yet sent. Only the progress thread takes
  // from it, so a rank is handed work only when it is free.
  tqueue<batch_ptr> queue;
  std::thread progress;
  std::mutex join_mutex;

  // Owned by the progress thread alone: the free ranks (the one that went
  // free last on top) and what each rank is running.
  std::vector<int> free_ranks;
  std::vector<batch_ptr> slots;
  std::size_t in_flight = 0;
  // Message buffers, kept from one message to the next.
  std::string message;
  std::vector<char> received;
  batch_output scratch;

  void serve();
  void run_progress(mpi_executor& owner);
  bool dispatch(mpi_executor& owner);
  void send(int rank, batch_ptr b);
  void finish(batch& b, const char* data, std::size_t size, int rank);
  void receive(const bmpi::status& st);
  void encode(const batch& b);
};

namespace {

std::string registry_fingerprint() {
  std::string s;
  for (const auto& f : the_registry().functions) s += f.first + " : " + f.second.signature + "\n";
  return s;
}

// The first line of `a` missing from `b`, or empty.
std::string first_missing(const std::string& a, const std::string& b) {
  std::istringstream in(a);
  std::string line;
  while (std::getline(in, line))
    if (b.find(line + "\n") == std::string::npos) return line;
  return {};
}

void check_environment() {
  if (!bmpi::environment::initialized() || bmpi::environment::finalized())
    throw invalid_state_error(
        "boost::stm::mpi_executor: MPI is not initialised (or already finalised); construct a "
        "boost::mpi::environment{argc, argv, boost::mpi::threading::serialized} in main first");
  if (bmpi::environment::thread_level() < bmpi::threading::serialized)
    throw invalid_state_error(
        "boost::stm::mpi_executor: MPI was initialised below threading::serialized, but the "
        "executor's progress thread makes MPI calls; construct the environment with "
        "boost::mpi::threading::serialized (or multiple), and use an MPI library that provides it");
}

}  // namespace

mpi_executor::mpi_executor(const bmpi::communicator& comm, int root) : impl_(new impl) {
  check_environment();
  impl_->comm = bmpi::communicator(comm, bmpi::comm_duplicate);
  impl_->root = root;
  const int size = impl_->comm.size();
  if (root < 0 || root >= size)
    throw std::invalid_argument("boost::stm::mpi_executor: root " + std::to_string(root) +
                                " is not a rank of the communicator (size " +
                                std::to_string(size) + ")");

  // Every rank sees every rank's registry and errors, so all of them fail
  // (or none) and nobody waits for a rank that gave up.
  std::vector<std::string> local{registry_fingerprint()};
  for (const std::string& e : the_registry().errors) local.push_back(e);
  std::vector<std::vector<std::string>> all;
  bmpi::all_gather(impl_->comm, local, all);
  for (int r = 0; r < size; ++r) {
    const auto& mine = all[static_cast<std::size_t>(r)];
    if (mine.size() > 1)
      throw std::invalid_argument("boost::stm::mpi_executor: on rank " + std::to_string(r) + ", " +
                                  mine[1] + "; give each BOOST_STM_REMOTE function its own name");
    const std::string& theirs = all[static_cast<std::size_t>(root)][0];
    if (mine[0] == theirs) continue;
    std::string extra = first_missing(mine[0], theirs);
    std::string missing = first_missing(theirs, mine[0]);
    throw std::invalid_argument(
        "boost::stm::mpi_executor: the ranks do not register the same remote functions: " +
        (extra.empty() ? std::string()
                       : "rank " + std::to_string(r) + " registers '" + extra + "' and root " +
                             std::to_string(root) + " does not; ") +
        (missing.empty() ? std::string()
                         : "root " + std::to_string(root) + " registers '" + missing +
                               "' and rank " + std::to_string(r) + " does not; ") +
        "every rank must link the same BOOST_STM_REMOTE lines");
  }

  for (const auto& f : the_registry().functions) {
    impl_->index.emplace(f.second.address, static_cast<std::uint32_t>(impl_->table.size()));
    impl_->table.push_back(f.second.call);
  }

  if (!is_root()) {
    impl_->serve();
    executor::shutdown(false);
    return;
  }
  impl_->slots.resize(static_cast<std::size_t>(size));
  for (int r = size - 1; r >= 0; --r)
    if (r != root) impl_->free_ranks.push_back(r);
  if (size == 1) impl_->free_ranks.push_back(root);  // runs its tasks itself
  impl_->progress = std::thread([this] { impl_->run_progress(*this); });
}

mpi_executor::~mpi_executor() { shutdown(true); }

bool mpi_executor::is_root() const noexcept { return impl_->comm.rank() == impl_->root; }
int mpi_executor::rank() const noexcept { return impl_->comm.rank(); }
std::size_t mpi_executor::workers() const noexcept {
  return static_cast<std::size_t>(std::max(1, impl_->comm.size() - 1));
}

std::uint32_t mpi_executor::lookup(fn_address f, const std::type_info& type) const {
  if (!is_root())
    throw invalid_state_error(
        "boost::stm::mpi_executor: only the root submits tasks; on the other ranks the "
        "constructor serves them and returns when the root shuts down (test is_root())");
  auto found = impl_->index.find(f);
  if (found != impl_->index.end()) return found->second;
  std::string name;
  Dl_info info;
  if (dladdr(reinterpret_cast<void*>(f), &info) && info.dli_sname)
    name = boost::core::demangle(info.dli_sname) + " ";
  throw std::invalid_argument("boost::stm::mpi_executor: the function " + name + "of type " +
                              boost::core::demangle(type.name()) +
                              " is not registered; add BOOST_STM_REMOTE(its name) at namespace "
                              "scope in a file that every rank links");
}

void mpi_executor::enqueue(const batch_ptr* batches, std::size_t n) {
  atomically([&] {
    if (is_broken() || is_shutdown())
      throw shutdown_error(
          "boost::stm::mpi_executor::submit(): the executor has been shut down (or broken) and "
          "accepts no new work; submit before shutdown()");
    for (std::size_t i = 0; i < n; ++i) impl_->queue.push(batches[i]);
  });
}

void mpi_executor::post(task) {
  throw std::invalid_argument(
      "boost::stm::mpi_executor runs registered functions only: call submit(f, args...) with a "
      "function registered by BOOST_STM_REMOTE, not a lambda or other callable");
}

std::vector<task> mpi_executor::take_queued() {
  std::vector<task> out;
  while (auto b = impl_->queue.try_pop()) out.emplace_back(std::move(*b));
  return out;
}

void mpi_executor::join() {
  if (std::this_thread::get_id() == impl_->progress.get_id())
    throw invalid_state_error(
        "boost::stm::mpi_executor::shutdown(wait=true) called from a done callback, which runs on "
        "the progress thread, would wait for that thread itself; call shutdown(false) there");
  std::lock_guard<std::mutex> g(impl_->join_mutex);
  if (impl_->progress.joinable()) impl_->progress.join();
}

// --- the workers ----------------------------------------------------------------

void mpi_executor::impl::serve() {
  backoff idle;
  std::vector<char> in;
  std::string out;
  batch_output scratch;
  for (;;) {
    auto st = comm.iprobe(root, bmpi::any_tag);
    if (!st) {
      idle.pause();
      continue;
    }
    idle.reset();
    if (st->tag() == tag_stop) {
      comm.recv(root, tag_stop);
      return;
    }
    in.resize(static_cast<std::size_t>(st->count<char>().value_or(0)));
    comm.recv(root, tag_task, in.data(), static_cast<int>(in.size()));
    run_batch(table, in.data(), in.size(), scratch, out);
    comm.send(root, tag_result, out.data(), static_cast<int>(out.size()));
  }
}

// --- the root's progress thread ---------------------------------------------------

void mpi_executor::impl::encode(const batch& b) {
  message.clear();
  message.reserve(8 + b.size + b.args.size());
  put_u32(message, b.fn);
  put_u32(message, b.size);
  message += b.sent;
  message += b.args;
}

// Reads a result message into the batch's calls and ends them in one
// commit; a message that cannot be read fails them all.
void mpi_executor::impl::finish(batch& b, const char* data, std::size_t size, int rank) {
  std::vector<std::exception_ptr> errors;
  batch_reply reply{};
  try {
    reader in{data, data + size};
    if (in.take(1)[0] == 0) {
      std::string type = in.string();
      std::string what = in.string();
      return b.fail(std::make_exception_ptr(remote_error(type, what, rank)));
    }
    reply.status = in.take(b.size);
    const std::uint32_t errors_size = in.u32();
    reader failures{in.take(errors_size), in.p};
    for (std::uint32_t i = 0; i < b.size; ++i) {
      const char st = reply.status[i];
      if ((st == detail::mpi::call_skipped) != (b.sent[i] == 0) ||
          static_cast<unsigned char>(st) > detail::mpi::call_failed)
        throw std::runtime_error("the result message does not match the calls sent");
      if (st != detail::mpi::call_failed) continue;
      std::string type = failures.string();
      errors.push_back(std::make_exception_ptr(remote_error(type, failures.string(), rank)));
    }
    reply.errors = errors.data();
    reply.values = in.p;
    reply.values_size = static_cast<std::size_t>(in.end - in.p);
    reply.read_failure = &result_read_failure;
    reply.rank = rank;
  } catch (...) {
    auto d = describe_current_exception();
    return b.fail(std::make_exception_ptr(remote_error(d.first, d.second, rank)));
  }
  b.finish(reply);
}

void mpi_executor::impl::send(int rank, batch_ptr b) {
  encode(*b);
  if (rank == comm.rank()) {  // a single rank: run it here
    std::string out;
    run_batch(table, message.data(), message.size(), scratch, out);
    finish(*b, out.data(), out.size(), rank);
    free_ranks.push_back(rank);
    return;
  }
  comm.send(rank, tag_task, message.data(), static_cast<int>(message.size()));
  slots[static_cast<std::size_t>(rank)] = std::move(b);
  ++in_flight;
}

void mpi_executor::impl::receive(const bmpi::status& st) {
  received.resize(static_cast<std::size_t>(st.count<char>().value_or(0)));
  comm.recv(st.source(), tag_result, received.data(), static_cast<int>(received.size()));
  batch_ptr b = std::move(slots[static_cast<std::size_t>(st.source())]);
  free_ranks.push_back(st.source());
  --in_flight;
  finish(*b, received.data(), received.size(), st.source());
}

// Takes as many batches as there are free ranks and sends them. Blocks (in
// the STM, without polling) while there is nothing in flight and nothing
// queued. Returns false once shut down with nothing left to do.
bool mpi_executor::impl::dispatch(mpi_executor& owner) {
  std::vector<batch_ptr> out;
  bool stop = false;
  atomically([&] {
    out.clear();
    stop = false;
    while (out.size() < free_ranks.size()) {
      std::optional<batch_ptr> b = queue.try_pop();
      if (!b) break;
      (*b)->begin();
      out.push_back(std::move(*b));
    }
    if (out.empty() && in_flight == 0) {
      if (owner.is_shutdown()) {
        stop = true;
        return;
      }
      retry();
    }
  });
  if (stop) return false;
  for (batch_ptr& b : out) {
    // Calls cancelled before they were taken are not run.
    if (!b->mark_sent()) continue;
    const int rank = free_ranks.back();
    free_ranks.pop_back();
    send(rank, std::move(b));
  }
  return true;
}

void mpi_executor::impl::run_progress(mpi_executor& owner) {
  try {
    backoff idle;
    for (;;) {
      bool busy = false;
      while (in_flight > 0) {
        auto st = comm.iprobe(bmpi::any_source, tag_result);
        if (!st) break;
        receive(*st);
        busy = true;
      }
      const std::size_t before = in_flight;
      if (!free_ranks.empty() || in_flight == 0) {
        if (!dispatch(owner)) break;
        busy = busy || in_flight != before || in_flight == 0;
      }
      if (busy)
        idle.reset();
      else
        idle.pause();
    }
    for (int r = 0; r < comm.size(); ++r)
      if (r != root) comm.send(r, tag_stop);
  } catch (...) {
    // An MPI error: nothing more can be sent or received. Everything
    // queued or in flight fails with it.
    auto d = describe_current_exception();
    auto reason = std::make_exception_ptr(broken_executor(
        "boost::stm::mpi_executor: the progress thread failed (" + d.first + ": " + d.second +
        "); the executor is broken"));
    for (batch_ptr& b : slots)
      if (b) std::exchange(b, nullptr)->fail(reason);
    owner.break_executor(reason);
  }
}

}  // namespace stm
}  // namespace boost
