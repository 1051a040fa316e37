/**
 * In-memory fakes of ports for tests.
 *
 * @since 0.1
 */
package io.carbon.computeimage.testkit.fake;
