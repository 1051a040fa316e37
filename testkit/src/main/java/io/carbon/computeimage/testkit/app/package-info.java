/** In-memory fakes of the ports used by the application and CLI tests. */
package io.carbon.computeimage.testkit.app;
