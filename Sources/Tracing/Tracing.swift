// PLACEHOLDER: module Tracing, until its work lands.
