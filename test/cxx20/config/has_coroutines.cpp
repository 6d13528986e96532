// Compiles only where C++20 coroutines are available (b2's configure check
// for the programs under cxx20/).
#include <coroutine>
#ifndef __cpp_impl_coroutine
#error "no C++20 coroutines"
#endif
int main() { return 0; }
