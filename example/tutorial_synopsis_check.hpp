// Copyright 2026 The Boost.STM authors.
// Distributed under the Boost Software License, Version 1.0.
// (See accompanying file LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

// Helpers for the example/tutorial_synopsis_*.cpp programs. Those files
// hold the synopses that the documentation's Reference shows (between
// //[ref_... and //] markers), each declared in a namespace of its own, and
// check every declared member against the library: the same signature, up
// to the class it belongs to. A change of the library that a synopsis does
// not follow makes the example fail to compile.
//
// In a synopsis, /*<-*/ real /*->*/ hides the real spelling of a type from
// the documentation, which shows the comment that follows it instead.
#ifndef BOOST_STM_EXAMPLE_TUTORIAL_SYNOPSIS_CHECK_HPP
#define BOOST_STM_EXAMPLE_TUTORIAL_SYNOPSIS_CHECK_HPP

#include <type_traits>

namespace synopsis_check {

// The function type of a pointer to function or to member function.
template <class T>
struct sig;
template <class C, class S>
struct sig<S C::*> {
  using type = S;
};
template <class S>
struct sig<S*> {
  using type = S;
};

template <class A, class B>
constexpr bool same_sig = std::is_same<typename sig<A>::type, typename sig<B>::type>::value;

// Picks the member with signature S out of an overload set.
template <class S, class C>
constexpr S C::*member(S C::*p) {
  return p;
}

}  // namespace synopsis_check

// The synopsis entity and the library's have the same signature.
#define BOOST_STM_SYNOPSIS_SAME(syn, real)                                          \
  static_assert(synopsis_check::same_sig<decltype(syn), decltype(real)>,            \
                "the synopsis of " #real " differs from the library")

// Both classes have a member `name` with signature S (for overloads).
#define BOOST_STM_SYNOPSIS_MEMBER(S, syn_class, real_class, name)                     \
  static_assert(sizeof(synopsis_check::member<S, syn_class>(&syn_class::name)) > 0 && \
                    sizeof(synopsis_check::member<S, real_class>(&real_class::name)) > 0, \
                "the synopsis of " #real_class "::" #name " differs from the library")

#endif
