// An argument type that Boost.Serialization cannot write does not compile,
// and the error names the type.
// expected-error: must_be_serializable<opaque>(.|\n)*does not travel with Boost.Serialization
#include <boost/stm/mpi_executor.hpp>

struct opaque {
  int handle = 0;
};
int use(opaque o) { return o.handle; }
BOOST_STM_REMOTE(use)

int main() {}
