/**
 * Test support for {@link io.carbon.computeimage.ports.store.LayerStore} implementations: the
 * contract test, a byte-exact tar builder for edge shapes, sentinel directories and a tree
 * comparator.
 */
package io.carbon.computeimage.testkit.store;
