/** VM image references, their storage layout and the VM pull pipeline. */
package io.carbon.computeimage.domain.vm;
