// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// mpi_executor's public members: construction (the registry check, then the
// workers' loop or the root's progress thread), submission, shutdown.

#include "mpi/executor_impl.hpp"
#include "mpi/registry.hpp"

#include <boost/stm/atomically.hpp>
#include <boost/stm/errors.hpp>

#include <boost/core/demangle.hpp>
#include <boost/mpi/environment.hpp>

#include <dlfcn.h>

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace boost {
namespace stm {

namespace bmpi = boost::mpi;

remote_error::remote_error(std::string type_name, std::string message, int rank)
    : std::runtime_error("boost::stm::remote_error: " + type_name + " on rank " +
                         std::to_string(rank) + ": " + message),
      type_name_(std::move(type_name)),
      message_(std::move(message)),
      rank_(rank) {}

namespace {

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

  detail::mpi::check_registries(impl_->comm, root);
  for (const auto& f : detail::mpi::the_registry().functions) {
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

std::uint32_t mpi_executor::lookup(detail::mpi::fn_address f, const std::type_info& type) const {
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

}  // namespace stm
}  // namespace boost
