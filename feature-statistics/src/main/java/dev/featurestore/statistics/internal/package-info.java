/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
/**
 * Implementation of the feature-statistics module: not API. Other modules and user code must not
 * import it; its classes change without notice.
 */
package dev.featurestore.statistics.internal;
