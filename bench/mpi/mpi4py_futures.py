# Copyright 2026 The Boost.STM authors.
# Distributed under the Boost Software License, Version 1.0.
# (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

"""The measurements of bench/mpi/mpi_executor.cpp with mpi4py.futures.

Run by bench/mpi/run under mpirun (MPICommExecutor: every rank runs this
file; the root is the client). Prints the same "metric value" lines.
"""
import statistics
import sys
import time

from mpi4py import MPI
from mpi4py.futures import MPICommExecutor


def inc(x):
    return x + 1


def main():
    quick = "--quick" in sys.argv
    n = 20000
    rounds = 1 if quick else 5
    trips = 500 if quick else 2000
    with MPICommExecutor(MPI.COMM_WORLD, root=0) as ex:
        if ex is None:
            return  # a worker: served until the root shut down
        items = list(range(n))
        expected = n * (n + 1) // 2
        submit, map1, map64, trip = [], [], [], []
        for _ in range(rounds):
            t0 = time.perf_counter()
            fs = [ex.submit(inc, i) for i in items]
            total = sum(f.result() for f in fs)
            submit.append(n / (time.perf_counter() - t0))
            assert total == expected, "submit"
            for chunk, out in ((1, map1), (64, map64)):
                t0 = time.perf_counter()
                total = sum(ex.map(inc, items, chunksize=chunk))
                out.append(n / (time.perf_counter() - t0))
                assert total == expected, "map"
            one = []
            for i in range(trips):
                t0 = time.perf_counter()
                assert ex.submit(inc, i).result() == i + 1, "round trip"
                one.append((time.perf_counter() - t0) * 1e6)
            trip.append(statistics.median(one))
        print("ranks", MPI.COMM_WORLD.Get_size())
        print("submit_per_s %.0f" % statistics.median(submit))
        print("map1_per_s %.0f" % statistics.median(map1))
        print("map64_per_s %.0f" % statistics.median(map64))
        print("round_trip_us %.1f" % statistics.median(trip))


if __name__ == "__main__":
    main()
