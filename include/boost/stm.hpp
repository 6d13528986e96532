// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

#ifndef BOOST_STM_HPP_INCLUDED
#define BOOST_STM_HPP_INCLUDED

#include <boost/stm/atomically.hpp>
#include <boost/stm/broadcast_queue.hpp>
#include <boost/stm/coroutine.hpp>
#include <boost/stm/errors.hpp>
#include <boost/stm/executor.hpp>
#include <boost/stm/fiber_executor.hpp>
#include <boost/stm/future.hpp>
#include <boost/stm/invariant.hpp>
#include <boost/stm/map_result.hpp>
#include <boost/stm/stats.hpp>
#include <boost/stm/task.hpp>
#include <boost/stm/then.hpp>
#include <boost/stm/thread.hpp>
#include <boost/stm/thread_options.hpp>
#include <boost/stm/thread_pool.hpp>
#include <boost/stm/thread_pool_executor.hpp>
#include <boost/stm/tlist.hpp>
#include <boost/stm/tmvar.hpp>
#include <boost/stm/tmap.hpp>
#include <boost/stm/tqueue.hpp>
#include <boost/stm/tsem.hpp>
#include <boost/stm/tset.hpp>
#include <boost/stm/tvar.hpp>
#include <boost/stm/version.hpp>
#include <boost/stm/wait.hpp>
#include <boost/stm/watch.hpp>

#endif
