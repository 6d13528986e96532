// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// The std::async call site that relies on the future's waiting destructor,
// moved to an executor. A tiny "ray tracer" renders rows of an image that
// lives on the caller's stack: each row is a task writing into it, and the
// function returns without calling get(). With std::async that is correct
// (each future waits for its row when the vector of futures goes); moved to
// submit() it stays correct, both ways shown here.
//
//   migration_scope [--quick]
#include <boost/stm.hpp>

#include <cstdio>
#include <cstring>
#include <future>
#include <vector>

namespace stm = boost::stm;

namespace {

int shade(int x, int y) { return (x * 7 + y * 13) % 256; }

void render_row(std::vector<int>& image, int width, int y) {
  for (int x = 0; x < width; ++x) image[static_cast<std::size_t>(y * width + x)] = shade(x, y);
}

long checksum(const std::vector<int>& image) {
  long s = 0;
  for (int v : image) s = s * 31 % 1000003 + v;
  return s;
}

//[migration_scope_async
long render_with_async(int width, int height) {
  std::vector<int> image(static_cast<std::size_t>(width * height));
  {
    std::vector<std::future<void>> rows;
    for (int y = 0; y < height; ++y)
      rows.push_back(
          std::async(std::launch::async, [&image, width, y] { render_row(image, width, y); }));
  }  // each future waits for its row here
  return checksum(image);
}
//]

//[migration_scope_converted
// Only std::async(std::launch::async, ...) replaced by ex.submit(...): the
// futures are still std::futures, and still wait for their rows when the
// vector goes (each conversion costs a waiting thread, as std::async did).
long render_converted(stm::thread_pool_executor& ex, int width, int height) {
  std::vector<int> image(static_cast<std::size_t>(width * height));
  {
    std::vector<std::future<void>> rows;
    for (int y = 0; y < height; ++y)
      rows.push_back(ex.submit([&image, width, y] { render_row(image, width, y); }));
  }  // each std::future waits for its row here, as before
  return checksum(image);
}
//]

//[migration_scope_stm
// The form to move to: stm::futures (no thread each, and they can be
// cancelled), and an explicit wait where the rows must be done, since an
// stm::future's destructor does not wait.
long render_with_stm_futures(stm::thread_pool_executor& ex, int width, int height) {
  std::vector<int> image(static_cast<std::size_t>(width * height));
  std::vector<stm::future<void>> rows;
  for (int y = 0; y < height; ++y)
    rows.push_back(ex.submit([&image, width, y] { render_row(image, width, y); }));
  for (auto& r : rows) r.get();  // or stm::wait(rows); a task's exception comes out here
  return checksum(image);
}
//]

}  // namespace

int main(int argc, char** argv) {
  bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  int width = quick ? 64 : 640, height = quick ? 48 : 480;
  long want = render_with_async(width, height);
  stm::thread_pool_executor ex{4};
  long converted = render_converted(ex, width, height);
  long direct = render_with_stm_futures(ex, width, height);
  std::printf("std::async %ld, converted std::futures %ld, stm::futures %ld\n", want, converted,
              direct);
  return converted == want && direct == want ? 0 : 1;
}
